(set-logic ALL)
(declare-fun s1_vpasid_table_9 () (_ BitVec 16))
(declare-fun op1 () (_ BitVec 16))
(declare-fun s1_vpasid_table_8 () (_ BitVec 16))
(declare-fun s1_vpasid_table_7 () (_ BitVec 16))
(declare-fun s1_vpasid_table_6 () (_ BitVec 16))
(declare-fun s1_vpasid_table_5 () (_ BitVec 16))
(declare-fun s1_vpasid_table_4 () (_ BitVec 16))
(declare-fun s1_vpasid_table_3 () (_ BitVec 16))
(declare-fun s1_vpasid_table_2 () (_ BitVec 16))
(declare-fun s1_vpasid_table_1 () (_ BitVec 16))
(declare-fun s1_vpasid_table_0 () (_ BitVec 16))
(declare-fun s1_pasid_owner_3 () (_ BitVec 16))
(declare-fun s1_pasid_owner_2 () (_ BitVec 16))
(declare-fun s1_pasid_owner_1 () (_ BitVec 16))
(declare-fun s1_pasid_owner_0 () (_ BitVec 16))
(declare-fun s1_sva_users_1 () (_ BitVec 16))
(declare-fun s1_sva_users_0 () (_ BitVec 16))
(declare-fun s1_mm_pasid_0 () (_ BitVec 16))
(declare-fun s1_guest_pasid_7 () (_ BitVec 16))
(declare-fun s1_guest_pasid_6 () (_ BitVec 16))
(declare-fun s1_guest_pasid_5 () (_ BitVec 16))
(declare-fun s1_guest_pasid_4 () (_ BitVec 16))
(declare-fun s1_guest_pasid_3 () (_ BitVec 16))
(declare-fun s1_guest_pasid_2 () (_ BitVec 16))
(declare-fun s1_guest_pasid_1 () (_ BitVec 16))
(declare-fun s1_guest_pasid_0 () (_ BitVec 16))
(declare-fun s1_pasid_domain_7 () (_ BitVec 16))
(declare-fun s1_pasid_domain_6 () (_ BitVec 16))
(declare-fun s1_pasid_domain_5 () (_ BitVec 16))
(declare-fun s1_pasid_domain_4 () (_ BitVec 16))
(declare-fun s1_pasid_domain_3 () (_ BitVec 16))
(declare-fun s1_pasid_domain_2 () (_ BitVec 16))
(declare-fun s1_pasid_domain_1 () (_ BitVec 16))
(declare-fun s1_pasid_domain_0 () (_ BitVec 16))
(declare-fun s1_rid_domain_1 () (_ BitVec 16))
(declare-fun s1_rid_domain_0 () (_ BitVec 16))
(declare-fun s1_dom_users_1 () (_ BitVec 16))
(declare-fun s1_dom_users_0 () (_ BitVec 16))
(declare-fun s1_dom_parent_1 () (_ BitVec 16))
(declare-fun s1_dom_parent_0 () (_ BitVec 16))
(declare-fun s1_dom_mm_1 () (_ BitVec 16))
(declare-fun s1_dom_mm_0 () (_ BitVec 16))
(declare-fun s1_dom_format_1 () (_ BitVec 16))
(declare-fun s1_dom_format_0 () (_ BitVec 16))
(declare-fun s1_dom_flags_1 () (_ BitVec 16))
(declare-fun s1_dom_flags_0 () (_ BitVec 16))
(declare-fun s1_dom_kind_1 () (_ BitVec 16))
(declare-fun s1_dom_kind_0 () (_ BitVec 16))
(assert (let ((a!1 (ite (= op1 #x0001)
                #x0001
                (ite (= op1 #x000d) #x0002 (ite (= op1 #x0018) #x0002 #x0000))))
      (a!2 (= s1_dom_mm_0
              (ite (= op1 #x000d) #x0000 (ite (= op1 #x0018) #x0000 #xffff))))
      (a!3 (ite (= op1 #x000d) #x0001 (ite (= op1 #x0018) #x0001 #x0000)))
      (a!4 (ite (= op1 #x0018)
                #x0001
                (ite (= op1 #x001a) #x0064 (ite (= op1 #x0032) #x0065 #x0000))))
      (a!5 (= s1_pasid_owner_2
              (ite (= op1 #x0020) #x0064 (ite (= op1 #x0034) #x0065 #x0000))))
      (a!6 (= s1_pasid_owner_3
              (ite (= op1 #x0026) #x0064 (ite (= op1 #x0036) #x0065 #x0000)))))
  (and (not (bvslt op1 #x0000))
       (bvslt op1 #x003a)
       (= s1_dom_kind_0 (ite (= op1 #x0000) #x0001 a!1))
       (= s1_dom_kind_1 #x0000)
       (= s1_dom_flags_0 (ite (= op1 #x0001) #x0001 #x0000))
       (= s1_dom_flags_1 #x0000)
       (= s1_dom_format_0 #x0000)
       (= s1_dom_format_1 #x0000)
       a!2
       (= s1_dom_mm_1 #xffff)
       (= s1_dom_parent_0 #xffff)
       (= s1_dom_parent_1 #xffff)
       (= s1_dom_users_0 a!3)
       (= s1_dom_users_1 #x0000)
       (= s1_rid_domain_0 #xffff)
       (= s1_rid_domain_1 #xffff)
       (= s1_pasid_domain_0 #xffff)
       (= s1_pasid_domain_1 (ite (= op1 #x000d) #x0000 #xffff))
       (= s1_pasid_domain_2 #xffff)
       (= s1_pasid_domain_3 #xffff)
       (= s1_pasid_domain_4 #xffff)
       (= s1_pasid_domain_5 (ite (= op1 #x0018) #x0000 #xffff))
       (= s1_pasid_domain_6 #xffff)
       (= s1_pasid_domain_7 #xffff)
       (= s1_guest_pasid_0 #x0000)
       (= s1_guest_pasid_1 #x0000)
       (= s1_guest_pasid_2 #x0000)
       (= s1_guest_pasid_3 #x0000)
       (= s1_guest_pasid_4 #x0000)
       (= s1_guest_pasid_5 #x0000)
       (= s1_guest_pasid_6 #x0000)
       (= s1_guest_pasid_7 #x0000)
       (= s1_mm_pasid_0 a!3)
       (= s1_sva_users_0 (ite (= op1 #x000d) #x0001 #x0000))
       (= s1_sva_users_1 (ite (= op1 #x0018) #x0001 #x0000))
       (= s1_pasid_owner_0 #x0000)
       (= s1_pasid_owner_1 (ite (= op1 #x000d) #x0001 a!4))
       a!5
       a!6
       (= s1_vpasid_table_0 #x0000)
       (= s1_vpasid_table_1 (ite (= op1 #x001a) #x0001 #x0000))
       (= s1_vpasid_table_2 (ite (= op1 #x0020) #x0002 #x0000))
       (= s1_vpasid_table_3 (ite (= op1 #x0026) #x0003 #x0000))
       (= s1_vpasid_table_4 #x0000)
       (= s1_vpasid_table_5 #x0000)
       (= s1_vpasid_table_6 (ite (= op1 #x0032) #x0001 #x0000))
       (= s1_vpasid_table_7 (ite (= op1 #x0034) #x0002 #x0000))
       (= s1_vpasid_table_8 (ite (= op1 #x0036) #x0003 #x0000))
       (= s1_vpasid_table_9 #x0000))))
(assert (let ((a!1 (not (ite (= s1_rid_domain_0 #x0000)
                     (= s1_dom_kind_0 #x0002)
                     (ite (= s1_rid_domain_0 #x0001)
                          (= s1_dom_kind_1 #x0002)
                          false))))
      (a!2 (not (ite (= s1_rid_domain_1 #x0000)
                     (= s1_dom_kind_0 #x0002)
                     (ite (= s1_rid_domain_1 #x0001)
                          (= s1_dom_kind_1 #x0002)
                          false))))
      (a!3 (not (ite (= s1_pasid_domain_1 #x0000)
                     (= s1_dom_kind_0 #x0000)
                     (ite (= s1_pasid_domain_1 #x0001)
                          (= s1_dom_kind_1 #x0000)
                          false))))
      (a!5 (not (ite (= s1_pasid_domain_2 #x0000)
                     (= s1_dom_kind_0 #x0000)
                     (ite (= s1_pasid_domain_2 #x0001)
                          (= s1_dom_kind_1 #x0000)
                          false))))
      (a!7 (not (ite (= s1_pasid_domain_3 #x0000)
                     (= s1_dom_kind_0 #x0000)
                     (ite (= s1_pasid_domain_3 #x0001)
                          (= s1_dom_kind_1 #x0000)
                          false))))
      (a!9 (not (or (bvslt s1_rid_domain_0 #x0000)
                    (ite (= s1_rid_domain_0 #x0000)
                         true
                         (= s1_rid_domain_0 #x0001)))))
      (a!11 (not (ite (= s1_pasid_domain_5 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_pasid_domain_5 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!13 (not (ite (= s1_pasid_domain_6 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_pasid_domain_6 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!15 (not (ite (= s1_pasid_domain_7 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_pasid_domain_7 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!17 (not (or (bvslt s1_rid_domain_1 #x0000)
                     (ite (= s1_rid_domain_1 #x0000)
                          true
                          (= s1_rid_domain_1 #x0001)))))
      (a!19 (ite (= s1_vpasid_table_1 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_1 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_1 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!22 (not (and (not (= s1_vpasid_table_1 #x0000))
                      (not (= s1_vpasid_table_1 #x0001)))))
      (a!23 (not (and (not (= s1_vpasid_table_2 #x0000))
                      (= s1_vpasid_table_2 s1_vpasid_table_1))))
      (a!24 (ite (= s1_vpasid_table_2 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_2 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_2 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!27 (not (and (not (= s1_vpasid_table_2 #x0000))
                      (not (= s1_vpasid_table_2 #x0002)))))
      (a!28 (not (and (not (= s1_vpasid_table_3 #x0000))
                      (= s1_vpasid_table_3 s1_vpasid_table_1))))
      (a!29 (not (and (not (= s1_vpasid_table_3 #x0000))
                      (= s1_vpasid_table_3 s1_vpasid_table_2))))
      (a!30 (ite (= s1_vpasid_table_3 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_3 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_3 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!33 (not (and (not (= s1_vpasid_table_3 #x0000))
                      (not (= s1_vpasid_table_3 #x0003)))))
      (a!34 (not (and (not (= s1_vpasid_table_4 #x0000))
                      (= s1_vpasid_table_4 s1_vpasid_table_1))))
      (a!35 (not (and (not (= s1_vpasid_table_4 #x0000))
                      (= s1_vpasid_table_4 s1_vpasid_table_2))))
      (a!36 (not (and (not (= s1_vpasid_table_4 #x0000))
                      (= s1_vpasid_table_4 s1_vpasid_table_3))))
      (a!37 (ite (= s1_vpasid_table_4 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_4 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_4 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!40 (not (and (not (= s1_vpasid_table_4 #x0000))
                      (not (= s1_vpasid_table_4 #x0004)))))
      (a!41 (ite (= s1_vpasid_table_6 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_6 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_6 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!44 (not (and (not (= s1_vpasid_table_6 #x0000))
                      (not (= s1_vpasid_table_6 #x0001)))))
      (a!45 (not (and (not (= s1_vpasid_table_7 #x0000))
                      (= s1_vpasid_table_7 s1_vpasid_table_6))))
      (a!46 (ite (= s1_vpasid_table_7 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_7 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_7 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!49 (not (and (not (= s1_vpasid_table_7 #x0000))
                      (not (= s1_vpasid_table_7 #x0002)))))
      (a!50 (not (and (not (= s1_vpasid_table_8 #x0000))
                      (= s1_vpasid_table_8 s1_vpasid_table_6))))
      (a!51 (not (and (not (= s1_vpasid_table_8 #x0000))
                      (= s1_vpasid_table_8 s1_vpasid_table_7))))
      (a!52 (ite (= s1_vpasid_table_8 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_8 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_8 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!55 (not (and (not (= s1_vpasid_table_8 #x0000))
                      (not (= s1_vpasid_table_8 #x0003)))))
      (a!56 (not (and (not (= s1_vpasid_table_9 #x0000))
                      (= s1_vpasid_table_9 s1_vpasid_table_6))))
      (a!57 (not (and (not (= s1_vpasid_table_9 #x0000))
                      (= s1_vpasid_table_9 s1_vpasid_table_7))))
      (a!58 (not (and (not (= s1_vpasid_table_9 #x0000))
                      (= s1_vpasid_table_9 s1_vpasid_table_8))))
      (a!59 (ite (= s1_vpasid_table_9 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_vpasid_table_9 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_vpasid_table_9 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!62 (not (and (not (= s1_vpasid_table_9 #x0000))
                      (not (= s1_vpasid_table_9 #x0004)))))
      (a!63 (ite (= s1_mm_pasid_0 #x0001)
                 s1_pasid_owner_1
                 (ite (= s1_mm_pasid_0 #x0002)
                      s1_pasid_owner_2
                      (ite (= s1_mm_pasid_0 #x0003) s1_pasid_owner_3 #xfc19))))
      (a!66 (not (and (not (= s1_guest_pasid_1 #x0000))
                      (not (= s1_guest_pasid_1 #x0001)))))
      (a!67 (not (and (not (= s1_guest_pasid_2 #x0000))
                      (not (= s1_guest_pasid_2 #x0002)))))
      (a!68 (not (and (not (= s1_guest_pasid_3 #x0000))
                      (not (= s1_guest_pasid_3 #x0003)))))
      (a!69 (not (and (not (= s1_guest_pasid_5 #x0000))
                      (not (= s1_guest_pasid_5 #x0001)))))
      (a!70 (not (and (not (= s1_guest_pasid_6 #x0000))
                      (not (= s1_guest_pasid_6 #x0002)))))
      (a!71 (not (and (not (= s1_guest_pasid_7 #x0000))
                      (not (= s1_guest_pasid_7 #x0003)))))
      (a!72 (not (ite (= s1_rid_domain_0 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_rid_domain_0 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!73 (not (ite (= s1_rid_domain_1 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_rid_domain_1 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!74 (and (= s1_dom_kind_0 #x0003)
                 (ite (= s1_dom_parent_0 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_dom_parent_0 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!75 (and (= s1_dom_kind_0 #x0002)
                 (not (bvslt #x0000 s1_dom_users_0))
                 (not (or (= s1_rid_domain_0 #x0000) (= s1_rid_domain_1 #x0000)))))
      (a!76 (and (= s1_dom_kind_1 #x0003)
                 (ite (= s1_dom_parent_1 #x0000)
                      (= s1_dom_kind_0 #x0000)
                      (ite (= s1_dom_parent_1 #x0001)
                           (= s1_dom_kind_1 #x0000)
                           false))))
      (a!77 (and (= s1_dom_kind_1 #x0002)
                 (not (bvslt #x0000 s1_dom_users_1))
                 (not (or (= s1_rid_domain_0 #x0001) (= s1_rid_domain_1 #x0001)))))
      (a!78 (ite (= s1_mm_pasid_0 #x0001)
                 s1_pasid_domain_1
                 (ite (= s1_mm_pasid_0 #x0002)
                      s1_pasid_domain_2
                      (ite (= s1_mm_pasid_0 #x0003) s1_pasid_domain_3 #xffff))))
      (a!82 (ite (= s1_mm_pasid_0 #x0001)
                 s1_pasid_domain_5
                 (ite (= s1_mm_pasid_0 #x0002)
                      s1_pasid_domain_6
                      (ite (= s1_mm_pasid_0 #x0003) s1_pasid_domain_7 #xffff))))
      (a!86 (ite (= s1_rid_domain_0 #x0000)
                 (ite (= s1_dom_kind_0 #x0002) #x3c00 #x0100)
                 (ite (= s1_rid_domain_0 #x0001)
                      (ite (= s1_dom_kind_1 #x0002) #x3c00 #x0200)
                      #xffff)))
      (a!87 (ite (= s1_pasid_domain_1 #x0000)
                 (ite (= s1_dom_kind_0 #x0002) #x3c01 #x0101)
                 (ite (= s1_pasid_domain_1 #x0001)
                      (ite (= s1_dom_kind_1 #x0002) #x3c01 #x0201)
                      #xffff)))
      (a!88 (ite (= s1_rid_domain_0 #x0000)
                 (ite (= s1_dom_kind_0 #x0002)
                      (bvadd s1_dom_mm_0 #x03e8)
                      #x0000)
                 (ite (= s1_rid_domain_0 #x0001)
                      (ite (= s1_dom_kind_1 #x0002)
                           (bvadd s1_dom_mm_1 #x03e8)
                           #x0001)
                      (ite (= s1_rid_domain_0 #xfffe) #xfffe #xffff))))
      (a!89 (= (ite (not (bvslt s1_pasid_domain_1 #x0000))
                    s1_pasid_domain_1
                    #xfffd)
               #x0000))
      (a!90 (= (ite (not (bvslt s1_pasid_domain_1 #x0000))
                    s1_pasid_domain_1
                    #xfffd)
               #x0001))
      (a!91 (= (ite (not (bvslt s1_pasid_domain_1 #x0000))
                    s1_pasid_domain_1
                    #xfffd)
               #xfffe))
      (a!94 (ite (= s1_pasid_domain_2 #x0000)
                 (ite (= s1_dom_kind_0 #x0002) #x3c02 #x0102)
                 (ite (= s1_pasid_domain_2 #x0001)
                      (ite (= s1_dom_kind_1 #x0002) #x3c02 #x0202)
                      #xffff)))
      (a!95 (= (ite (not (bvslt s1_pasid_domain_2 #x0000))
                    s1_pasid_domain_2
                    #xfffd)
               #x0000))
      (a!96 (= (ite (not (bvslt s1_pasid_domain_2 #x0000))
                    s1_pasid_domain_2
                    #xfffd)
               #x0001))
      (a!97 (= (ite (not (bvslt s1_pasid_domain_2 #x0000))
                    s1_pasid_domain_2
                    #xfffd)
               #xfffe))
      (a!100 (ite (= s1_pasid_domain_3 #x0000)
                  (ite (= s1_dom_kind_0 #x0002) #x3c03 #x0103)
                  (ite (= s1_pasid_domain_3 #x0001)
                       (ite (= s1_dom_kind_1 #x0002) #x3c03 #x0203)
                       #xffff)))
      (a!101 (= (ite (not (bvslt s1_pasid_domain_3 #x0000))
                     s1_pasid_domain_3
                     #xfffd)
                #x0000))
      (a!102 (= (ite (not (bvslt s1_pasid_domain_3 #x0000))
                     s1_pasid_domain_3
                     #xfffd)
                #x0001))
      (a!103 (= (ite (not (bvslt s1_pasid_domain_3 #x0000))
                     s1_pasid_domain_3
                     #xfffd)
                #xfffe))
      (a!106 (ite (= s1_rid_domain_1 #x0000)
                  (ite (= s1_dom_kind_0 #x0002) #x3c00 #x0100)
                  (ite (= s1_rid_domain_1 #x0001)
                       (ite (= s1_dom_kind_1 #x0002) #x3c00 #x0200)
                       #xffff)))
      (a!107 (ite (= s1_rid_domain_1 #x0000)
                  (ite (= s1_dom_kind_0 #x0002)
                       (bvadd s1_dom_mm_0 #x03e8)
                       #x0000)
                  (ite (= s1_rid_domain_1 #x0001)
                       (ite (= s1_dom_kind_1 #x0002)
                            (bvadd s1_dom_mm_1 #x03e8)
                            #x0001)
                       (ite (= s1_rid_domain_1 #xfffe) #xfffe #xffff))))
      (a!109 (ite (= s1_pasid_domain_5 #x0000)
                  (ite (= s1_dom_kind_0 #x0002) #x3c01 #x0101)
                  (ite (= s1_pasid_domain_5 #x0001)
                       (ite (= s1_dom_kind_1 #x0002) #x3c01 #x0201)
                       #xffff)))
      (a!110 (= (ite (not (bvslt s1_pasid_domain_5 #x0000))
                     s1_pasid_domain_5
                     #xfffd)
                #x0000))
      (a!111 (= (ite (not (bvslt s1_pasid_domain_5 #x0000))
                     s1_pasid_domain_5
                     #xfffd)
                #x0001))
      (a!112 (= (ite (not (bvslt s1_pasid_domain_5 #x0000))
                     s1_pasid_domain_5
                     #xfffd)
                #xfffe))
      (a!115 (ite (= s1_pasid_domain_6 #x0000)
                  (ite (= s1_dom_kind_0 #x0002) #x3c02 #x0102)
                  (ite (= s1_pasid_domain_6 #x0001)
                       (ite (= s1_dom_kind_1 #x0002) #x3c02 #x0202)
                       #xffff)))
      (a!116 (= (ite (not (bvslt s1_pasid_domain_6 #x0000))
                     s1_pasid_domain_6
                     #xfffd)
                #x0000))
      (a!117 (= (ite (not (bvslt s1_pasid_domain_6 #x0000))
                     s1_pasid_domain_6
                     #xfffd)
                #x0001))
      (a!118 (= (ite (not (bvslt s1_pasid_domain_6 #x0000))
                     s1_pasid_domain_6
                     #xfffd)
                #xfffe))
      (a!121 (ite (= s1_pasid_domain_7 #x0000)
                  (ite (= s1_dom_kind_0 #x0002) #x3c03 #x0103)
                  (ite (= s1_pasid_domain_7 #x0001)
                       (ite (= s1_dom_kind_1 #x0002) #x3c03 #x0203)
                       #xffff)))
      (a!122 (= (ite (not (bvslt s1_pasid_domain_7 #x0000))
                     s1_pasid_domain_7
                     #xfffd)
                #x0000))
      (a!123 (= (ite (not (bvslt s1_pasid_domain_7 #x0000))
                     s1_pasid_domain_7
                     #xfffd)
                #x0001))
      (a!124 (= (ite (not (bvslt s1_pasid_domain_7 #x0000))
                     s1_pasid_domain_7
                     #xfffd)
                #xfffe)))
(let ((a!4 (and (not (bvslt s1_pasid_domain_1 #x0000))
                a!3
                (not (ite (= s1_pasid_domain_1 #x0000)
                          true
                          (= s1_pasid_domain_1 #x0001)))))
      (a!6 (and (not (bvslt s1_pasid_domain_2 #x0000))
                a!5
                (not (ite (= s1_pasid_domain_2 #x0000)
                          true
                          (= s1_pasid_domain_2 #x0001)))))
      (a!8 (and (not (bvslt s1_pasid_domain_3 #x0000))
                a!7
                (not (ite (= s1_pasid_domain_3 #x0000)
                          true
                          (= s1_pasid_domain_3 #x0001)))))
      (a!10 (and (or (not (bvslt s1_pasid_domain_1 #x0000))
                     (not (bvslt s1_pasid_domain_2 #x0000))
                     (not (bvslt s1_pasid_domain_3 #x0000)))
                 a!9))
      (a!12 (and (not (bvslt s1_pasid_domain_5 #x0000))
                 a!11
                 (not (ite (= s1_pasid_domain_5 #x0000)
                           true
                           (= s1_pasid_domain_5 #x0001)))))
      (a!14 (and (not (bvslt s1_pasid_domain_6 #x0000))
                 a!13
                 (not (ite (= s1_pasid_domain_6 #x0000)
                           true
                           (= s1_pasid_domain_6 #x0001)))))
      (a!16 (and (not (bvslt s1_pasid_domain_7 #x0000))
                 a!15
                 (not (ite (= s1_pasid_domain_7 #x0000)
                           true
                           (= s1_pasid_domain_7 #x0001)))))
      (a!18 (and (or (not (bvslt s1_pasid_domain_5 #x0000))
                     (not (bvslt s1_pasid_domain_6 #x0000))
                     (not (bvslt s1_pasid_domain_7 #x0000)))
                 a!17))
      (a!20 (not (= (ite (= s1_vpasid_table_1 #x0000) s1_pasid_owner_0 a!19)
                    #x0064)))
      (a!25 (not (= (ite (= s1_vpasid_table_2 #x0000) s1_pasid_owner_0 a!24)
                    #x0064)))
      (a!31 (not (= (ite (= s1_vpasid_table_3 #x0000) s1_pasid_owner_0 a!30)
                    #x0064)))
      (a!38 (not (= (ite (= s1_vpasid_table_4 #x0000) s1_pasid_owner_0 a!37)
                    #x0064)))
      (a!42 (not (= (ite (= s1_vpasid_table_6 #x0000) s1_pasid_owner_0 a!41)
                    #x0065)))
      (a!47 (not (= (ite (= s1_vpasid_table_7 #x0000) s1_pasid_owner_0 a!46)
                    #x0065)))
      (a!53 (not (= (ite (= s1_vpasid_table_8 #x0000) s1_pasid_owner_0 a!52)
                    #x0065)))
      (a!60 (not (= (ite (= s1_vpasid_table_9 #x0000) s1_pasid_owner_0 a!59)
                    #x0065)))
      (a!64 (not (= (ite (= s1_mm_pasid_0 #x0000) s1_pasid_owner_0 a!63) #x0001)))
      (a!79 (ite (= s1_mm_pasid_0 #x0000)
                 #xffff
                 (ite (= s1_mm_pasid_0 #x0000) s1_pasid_domain_0 a!78)))
      (a!83 (ite (= s1_mm_pasid_0 #x0000)
                 #xffff
                 (ite (= s1_mm_pasid_0 #x0000) s1_pasid_domain_4 a!82)))
      (a!92 (ite a!89
                 (ite (= s1_dom_kind_0 #x0002)
                      (bvadd s1_dom_mm_0 #x03e8)
                      #x0000)
                 (ite a!90
                      (ite (= s1_dom_kind_1 #x0002)
                           (bvadd s1_dom_mm_1 #x03e8)
                           #x0001)
                      (ite a!91 #xfffe #xffff))))
      (a!98 (ite a!95
                 (ite (= s1_dom_kind_0 #x0002)
                      (bvadd s1_dom_mm_0 #x03e8)
                      #x0000)
                 (ite a!96
                      (ite (= s1_dom_kind_1 #x0002)
                           (bvadd s1_dom_mm_1 #x03e8)
                           #x0001)
                      (ite a!97 #xfffe #xffff))))
      (a!104 (ite a!101
                  (ite (= s1_dom_kind_0 #x0002)
                       (bvadd s1_dom_mm_0 #x03e8)
                       #x0000)
                  (ite a!102
                       (ite (= s1_dom_kind_1 #x0002)
                            (bvadd s1_dom_mm_1 #x03e8)
                            #x0001)
                       (ite a!103 #xfffe #xffff))))
      (a!108 (not (and (not (= a!86 #xffff))
                       (= a!86 a!106)
                       (not (= a!88 a!107)))))
      (a!113 (ite a!110
                  (ite (= s1_dom_kind_0 #x0002)
                       (bvadd s1_dom_mm_0 #x03e8)
                       #x0000)
                  (ite a!111
                       (ite (= s1_dom_kind_1 #x0002)
                            (bvadd s1_dom_mm_1 #x03e8)
                            #x0001)
                       (ite a!112 #xfffe #xffff))))
      (a!119 (ite a!116
                  (ite (= s1_dom_kind_0 #x0002)
                       (bvadd s1_dom_mm_0 #x03e8)
                       #x0000)
                  (ite a!117
                       (ite (= s1_dom_kind_1 #x0002)
                            (bvadd s1_dom_mm_1 #x03e8)
                            #x0001)
                       (ite a!118 #xfffe #xffff))))
      (a!125 (ite a!122
                  (ite (= s1_dom_kind_0 #x0002)
                       (bvadd s1_dom_mm_0 #x03e8)
                       #x0000)
                  (ite a!123
                       (ite (= s1_dom_kind_1 #x0002)
                            (bvadd s1_dom_mm_1 #x03e8)
                            #x0001)
                       (ite a!124 #xfffe #xffff)))))
(let ((a!21 (not (and (not (= s1_vpasid_table_1 #x0000)) a!20)))
      (a!26 (not (and (not (= s1_vpasid_table_2 #x0000)) a!25)))
      (a!32 (not (and (not (= s1_vpasid_table_3 #x0000)) a!31)))
      (a!39 (not (and (not (= s1_vpasid_table_4 #x0000)) a!38)))
      (a!43 (not (and (not (= s1_vpasid_table_6 #x0000)) a!42)))
      (a!48 (not (and (not (= s1_vpasid_table_7 #x0000)) a!47)))
      (a!54 (not (and (not (= s1_vpasid_table_8 #x0000)) a!53)))
      (a!61 (not (and (not (= s1_vpasid_table_9 #x0000)) a!60)))
      (a!65 (not (and (not (= s1_mm_pasid_0 #x0000)) a!64)))
      (a!80 (and (not (bvslt a!79 #x0000))
                 (ite (= a!79 #x0000)
                      (= s1_dom_kind_0 #x0002)
                      (ite (= a!79 #x0001) (= s1_dom_kind_1 #x0002) false))
                 (ite (= a!79 #x0000)
                      (= s1_dom_mm_0 #x0000)
                      (ite (= a!79 #x0001) (= s1_dom_mm_1 #x0000) false))))
      (a!84 (and (not (bvslt a!83 #x0000))
                 (ite (= a!83 #x0000)
                      (= s1_dom_kind_0 #x0002)
                      (ite (= a!83 #x0001) (= s1_dom_kind_1 #x0002) false))
                 (ite (= a!83 #x0000)
                      (= s1_dom_mm_0 #x0000)
                      (ite (= a!83 #x0001) (= s1_dom_mm_1 #x0000) false))))
      (a!93 (not (and (not (= a!86 #xffff)) (= a!86 a!87) (not (= a!88 a!92)))))
      (a!99 (not (and (not (= a!86 #xffff)) (= a!86 a!94) (not (= a!88 a!98)))))
      (a!105 (not (and (not (= a!86 #xffff))
                       (= a!86 a!100)
                       (not (= a!88 a!104)))))
      (a!114 (not (and (not (= a!86 #xffff))
                       (= a!86 a!109)
                       (not (= a!88 a!113)))))
      (a!120 (not (and (not (= a!86 #xffff))
                       (= a!86 a!115)
                       (not (= a!88 a!119)))))
      (a!126 (not (and (not (= a!86 #xffff))
                       (= a!86 a!121)
                       (not (= a!88 a!125)))))
      (a!127 (not (and (not (= a!87 #xffff)) (= a!87 a!94) (not (= a!92 a!98)))))
      (a!128 (not (and (not (= a!87 #xffff))
                       (= a!87 a!100)
                       (not (= a!92 a!104)))))
      (a!129 (not (and (not (= a!87 #xffff))
                       (= a!87 a!106)
                       (not (= a!92 a!107)))))
      (a!130 (not (and (not (= a!87 #xffff))
                       (= a!87 a!109)
                       (not (= a!92 a!113)))))
      (a!131 (not (and (not (= a!87 #xffff))
                       (= a!87 a!115)
                       (not (= a!92 a!119)))))
      (a!132 (not (and (not (= a!87 #xffff))
                       (= a!87 a!121)
                       (not (= a!92 a!125)))))
      (a!133 (not (and (not (= a!94 #xffff))
                       (= a!94 a!100)
                       (not (= a!98 a!104)))))
      (a!134 (not (and (not (= a!94 #xffff))
                       (= a!94 a!106)
                       (not (= a!98 a!107)))))
      (a!135 (not (and (not (= a!94 #xffff))
                       (= a!94 a!109)
                       (not (= a!98 a!113)))))
      (a!136 (not (and (not (= a!94 #xffff))
                       (= a!94 a!115)
                       (not (= a!98 a!119)))))
      (a!137 (not (and (not (= a!94 #xffff))
                       (= a!94 a!121)
                       (not (= a!98 a!125)))))
      (a!138 (not (and (not (= a!100 #xffff))
                       (= a!100 a!106)
                       (not (= a!104 a!107)))))
      (a!139 (not (and (not (= a!100 #xffff))
                       (= a!100 a!109)
                       (not (= a!104 a!113)))))
      (a!140 (not (and (not (= a!100 #xffff))
                       (= a!100 a!115)
                       (not (= a!104 a!119)))))
      (a!141 (not (and (not (= a!100 #xffff))
                       (= a!100 a!121)
                       (not (= a!104 a!125)))))
      (a!142 (not (and (not (= a!106 #xffff))
                       (= a!106 a!109)
                       (not (= a!107 a!113)))))
      (a!143 (not (and (not (= a!106 #xffff))
                       (= a!106 a!115)
                       (not (= a!107 a!119)))))
      (a!144 (not (and (not (= a!106 #xffff))
                       (= a!106 a!121)
                       (not (= a!107 a!125)))))
      (a!145 (not (and (not (= a!109 #xffff))
                       (= a!109 a!115)
                       (not (= a!113 a!119)))))
      (a!146 (not (and (not (= a!109 #xffff))
                       (= a!109 a!121)
                       (not (= a!113 a!125)))))
      (a!147 (not (and (not (= a!115 #xffff))
                       (= a!115 a!121)
                       (not (= a!119 a!125))))))
(let ((a!81 (or (not (not (= s1_sva_users_0 #x0000))) a!80))
      (a!85 (or (not (not (= s1_sva_users_1 #x0000))) a!84)))
  (or (not (and a!1 a!2))
      (not (and (not a!4)
                (not a!6)
                (not a!8)
                (not a!10)
                (not a!12)
                (not a!14)
                (not a!16)
                (not a!18)))
      (not (and a!21
                a!22
                a!23
                a!26
                a!27
                a!28
                a!29
                a!32
                a!33
                a!34
                a!35
                a!36
                a!39
                a!40
                a!43
                a!44
                a!45
                a!48
                a!49
                a!50
                a!51
                a!54
                a!55
                a!56
                a!57
                a!58
                a!61
                a!62
                a!65
                a!66
                a!67
                a!68
                a!69
                a!70
                a!71))
      (not (and a!72
                a!73
                a!3
                a!5
                a!7
                a!11
                a!13
                a!15
                (not a!74)
                (not a!75)
                (not a!76)
                (not a!77)))
      (not (and a!81 a!85))
      (not (and a!93
                a!99
                a!105
                a!108
                a!114
                a!120
                a!126
                a!127
                a!128
                a!129
                a!130
                a!131
                a!132
                a!133
                a!134
                a!135
                a!136
                a!137
                a!138
                a!139
                a!140
                a!141
                a!142
                a!143
                a!144
                a!145
                a!146
                a!147))))))))
(check-sat)
